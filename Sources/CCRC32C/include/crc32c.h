/*
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum TFRecord files use.
 *
 * Every function takes the CRC of the bytes seen so far (0 for none) and returns the CRC
 * of those bytes followed by `data`, so a checksum can be computed in pieces:
 * crc32c_extend(crc32c_extend(0, a, n), b, m) == CRC of a followed by b.
 * The pre- and post-inversion of the standard CRC are done inside.
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

#ifdef __cplusplus
}
#endif

#endif
