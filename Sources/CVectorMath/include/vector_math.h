#ifndef GENRE_LAB_VECTOR_MATH_H
#define GENRE_LAB_VECTOR_MATH_H

#include <stddef.h>

/// out[i] = sqrt(x[i]) for i < n, eight lanes per instruction (`out` may equal `x`).
///
/// Swift's `Float.squareRoot()`, and `SIMD8<Float>.squareRoot()` lane by lane, compile to a
/// scalar square root with a branch to libm's `sqrtf` for negative input (C's errno rule);
/// clang's element-wise builtin is the vector instruction itself (`sqrtps`), correctly
/// rounded as the scalar one, so the results are the same bit for bit.
void genre_square_roots(const float *x, float *out, ptrdiff_t n);

/// Eight floats, as Swift imports them: `SIMD8<Float>`.
typedef float genre_float8 __attribute__((ext_vector_type(8)));

/// The square roots of eight floats in one instruction, for Swift loops that hold their
/// values in registers: Swift inlines this header function, so `genre_square_root8(v)` costs
/// one `vsqrtps` where `v.squareRoot()` costs eight scalar roots and their errno branches.
static inline __attribute__((always_inline)) genre_float8 genre_square_root8(genre_float8 x) {
    return __builtin_elementwise_sqrt(x);
}

/// Eight floats from `p`, which need not be aligned: one unaligned vector load (Swift's
/// generic `loadUnaligned(as:)` is sometimes left as a call to a specialized function).
static inline __attribute__((always_inline)) genre_float8 genre_load8(const float *p) {
    genre_float8 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

/// The low four lanes of `a` and `b` interleaved, (a0 b0 a1 b1 a2 b2 a3 b3), and the high
/// four, (a4 b4 ... a7 b7): two frames' values of a bin side by side, one shuffle each.
static inline __attribute__((always_inline)) genre_float8 genre_interleave_low8(genre_float8 a, genre_float8 b) {
    return __builtin_shufflevector(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
}
static inline __attribute__((always_inline)) genre_float8 genre_interleave_high8(genre_float8 a, genre_float8 b) {
    return __builtin_shufflevector(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
}

/// The eight lanes in reverse order, one shuffle (Swift's SIMD types have no constant
/// shuffle): for reading a spectrum's mirror bins N - k, which run backwards.
static inline __attribute__((always_inline)) genre_float8 genre_reversed8(genre_float8 x) {
    return __builtin_shufflevector(x, x, 7, 6, 5, 4, 3, 2, 1, 0);
}

#endif
