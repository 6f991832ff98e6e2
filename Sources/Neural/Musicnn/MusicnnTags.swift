extension MusicnnModel {
    /// The 50 Million Song Dataset tags of `MSD_musicnn`, in output order
    /// (`musicnn/configuration.py`, `MSD_LABELS`). Spelling and case are the dataset's:
    /// "female vocalists" and "female vocalist" are distinct tags.
    public static let tagNames: [String] = [
        "rock", "pop", "alternative", "indie", "electronic", "female vocalists", "dance", "00s",
        "alternative rock", "jazz", "beautiful", "metal", "chillout", "male vocalists", "classic rock", "soul",
        "indie rock", "Mellow", "electronica", "80s", "folk", "90s", "chill", "instrumental", "punk", "oldies",
        "blues", "hard rock", "ambient", "acoustic", "experimental", "female vocalist", "guitar", "Hip-Hop", "70s",
        "party", "country", "easy listening", "sexy", "catchy", "funk", "electro", "heavy metal",
        "Progressive rock", "60s", "rnb", "indie pop", "sad", "House", "happy",
    ]
}
