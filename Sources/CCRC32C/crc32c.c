/*
 * CRC32C (Castagnoli) for TFRecord framing: the CPU's CRC32 instruction where there is
 * one, a slicing-by-8 table elsewhere. Both give the same value for every input; the
 * tests in Tests/TFRecordTests compare them on random buffers.
 *
 * Written from the algorithm's description: the reflected polynomial 0x82F63B78 (RFC 3720,
 * appendix B.4), Intel's SSE 4.2 `crc32` instruction, ARMv8's `crc32c*` instructions, and
 * the slicing-by-8 scheme (Kounavis and Berry, "A Systematic Approach to Building High
 * Performance Software-Based CRC Generators", 2005).
 */
#include "crc32c.h"

#include <pthread.h>
#include <string.h>

#define CRC32C_POLY 0x82F63B78u

/* MARK: portable slicing-by-8 */

static uint32_t table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void) {
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 1) ? (crc >> 1) ^ CRC32C_POLY : crc >> 1;
        }
        table[0][byte] = crc;
    }
    /* table[k][b] is the CRC contribution of byte b followed by k zero bytes. */
    for (int k = 1; k < 8; k++) {
        for (uint32_t byte = 0; byte < 256; byte++) {
            uint32_t previous = table[k - 1][byte];
            table[k][byte] = (previous >> 8) ^ table[0][previous & 0xFF];
        }
    }
}

/* Loads four bytes as a little-endian number whatever the host's byte order and alignment. */
static inline uint32_t load_le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

uint32_t crc32c_extend_table(uint32_t crc, const void *data, size_t length) {
    pthread_once(&table_once, build_table);
    const uint8_t *p = (const uint8_t *)data;
    uint32_t l = ~crc;
    while (length >= 8) {
        uint32_t low = load_le32(p) ^ l;
        uint32_t high = load_le32(p + 4);
        l = table[7][low & 0xFF] ^ table[6][(low >> 8) & 0xFF] ^ table[5][(low >> 16) & 0xFF]
            ^ table[4][low >> 24] ^ table[3][high & 0xFF] ^ table[2][(high >> 8) & 0xFF]
            ^ table[1][(high >> 16) & 0xFF] ^ table[0][high >> 24];
        p += 8;
        length -= 8;
    }
    while (length > 0) {
        l = (l >> 8) ^ table[0][(l ^ *p) & 0xFF];
        p++;
        length--;
    }
    return ~l;
}

/* MARK: hardware */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define CRC32C_HAVE_HARDWARE_CODE 1

static int detect_hardware(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

/* Compiled for SSE 4.2 whatever the target's baseline; only called after detect_hardware. */
__attribute__((target("sse4.2")))
static uint32_t extend_instruction(uint32_t crc, const uint8_t *p, size_t length) {
    uint32_t l = ~crc;
    /* Bytes up to an 8-byte boundary, then whole words, then the tail. */
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        l = _mm_crc32_u8(l, *p++);
        length--;
    }
    uint64_t wide = l;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        wide = _mm_crc32_u64(wide, word);
        p += 8;
        length -= 8;
    }
    l = (uint32_t)wide;
    while (length > 0) {
        l = _mm_crc32_u8(l, *p++);
        length--;
    }
    return ~l;
}

#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
/* Targets whose baseline includes the CRC extension (every Apple arm64 CPU, -march=armv8.1-a and later). */
#include <arm_acle.h>
#define CRC32C_HAVE_HARDWARE_CODE 1

static int detect_hardware(void) { return 1; }

static uint32_t extend_instruction(uint32_t crc, const uint8_t *p, size_t length) {
    uint32_t l = ~crc;
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        l = __crc32cb(l, *p++);
        length--;
    }
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        l = __crc32cd(l, word);
        p += 8;
        length -= 8;
    }
    while (length > 0) {
        l = __crc32cb(l, *p++);
        length--;
    }
    return ~l;
}
#endif

#ifdef CRC32C_HAVE_HARDWARE_CODE
/* -1 until first asked; then 0 or 1. Races only ever store the same value. */
static int hardware_state = -1;

static int hardware_present(void) {
    int state = __atomic_load_n(&hardware_state, __ATOMIC_RELAXED);
    if (state < 0) {
        state = detect_hardware();
        __atomic_store_n(&hardware_state, state, __ATOMIC_RELAXED);
    }
    return state;
}
#endif

static int table_forced = 0;

int crc32c_hardware_available(void) {
#ifdef CRC32C_HAVE_HARDWARE_CODE
    return hardware_present();
#else
    return 0;
#endif
}

int crc32c_hardware_in_use(void) {
    return crc32c_hardware_available() && !__atomic_load_n(&table_forced, __ATOMIC_RELAXED);
}

void crc32c_force_table(int force) {
    __atomic_store_n(&table_forced, force ? 1 : 0, __ATOMIC_RELAXED);
}

uint32_t crc32c_extend_hardware(uint32_t crc, const void *data, size_t length) {
#ifdef CRC32C_HAVE_HARDWARE_CODE
    if (hardware_present()) {
        return extend_instruction(crc, (const uint8_t *)data, length);
    }
#endif
    return crc32c_extend_table(crc, data, length);
}

uint32_t crc32c_extend(uint32_t crc, const void *data, size_t length) {
    if (crc32c_hardware_in_use()) {
        return crc32c_extend_hardware(crc, data, length);
    }
    return crc32c_extend_table(crc, data, length);
}
