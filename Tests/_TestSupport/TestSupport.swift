import AudioIO
