/*
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord files and
 * TensorFlow checkpoints.
 *
 * Every function takes the CRC of the bytes seen so far (0 for none) and returns the CRC
 * of those bytes followed by `data`, so a checksum can be computed in pieces:
 * crc32c_extend(crc32c_extend(0, a, n), b, m) == CRC of a followed by b.
 * The pre- and post-inversion of the standard CRC are done inside. The mask TensorFlow
 * applies before storing a CRC is here too, shared by TFRecord and TensorBundle.
 */
#ifndef GENRE_LAB_CRC32C_H
#define GENRE_LAB_CRC32C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Extends `crc` over `data`, on the CPU's CRC32 instruction when present and not
 * disabled with crc32c_force_table(1), else on the slicing-by-8 table. */
uint32_t crc32c_extend(uint32_t crc, const void *data, size_t length);

/* Extends `crc` over `data` on the portable slicing-by-8 table, whatever the CPU offers. */
uint32_t crc32c_extend_table(uint32_t crc, const void *data, size_t length);

/* Extends `crc` over `data` on the CPU's CRC32 instruction; falls back to the table
 * when the CPU has none (see crc32c_hardware_available). */
uint32_t crc32c_extend_hardware(uint32_t crc, const void *data, size_t length);

/* 1 when this CPU has a CRC32C instruction this library uses (x86-64 SSE 4.2, ARMv8 CRC). */
int crc32c_hardware_available(void);

/* 1 when crc32c_extend currently runs on the CPU instruction. */
int crc32c_hardware_in_use(void);

/* With a non-zero argument, makes crc32c_extend use the table even where the CPU has the
 * instruction; with zero, restores the default. Safe to call from any thread. */
void crc32c_force_table(int force);

/* TensorFlow's mask, for a CRC stored beside the data it covers (TFRecord headers and
 * footers, tensor bundle entries and table blocks). A CRC computed over data that itself
 * contains CRCs is weak ("it is problematic to compute the CRC of a string that contains
 * embedded CRCs"), so the stored value is the CRC rotated right by 15 bits plus a constant.
 * Reference: tsl/lib/hash/crc32c.h in TensorFlow (kMaskDelta, Mask, Unmask). */
#define CRC32C_MASK_DELTA 0xA282EAD8u

/* The masked form of `crc`: rotated right by 15 bits, plus CRC32C_MASK_DELTA (mod 2^32). */
static inline uint32_t crc32c_mask(uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + CRC32C_MASK_DELTA;
}

/* Undoes crc32c_mask: subtracts CRC32C_MASK_DELTA, rotates left by 15 bits. */
static inline uint32_t crc32c_unmask(uint32_t masked_crc) {
    uint32_t rotated = masked_crc - CRC32C_MASK_DELTA;
    return (rotated >> 17) | (rotated << 15);
}

#ifdef __cplusplus
}
#endif

#endif
