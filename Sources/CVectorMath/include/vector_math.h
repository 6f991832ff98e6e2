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

/// The eight lanes in reverse order, one shuffle (Swift's SIMD types have no constant
/// shuffle): for reading a spectrum's mirror bins N - k, which run backwards.
static inline __attribute__((always_inline)) genre_float8 genre_reversed8(genre_float8 x) {
    return __builtin_shufflevector(x, x, 7, 6, 5, 4, 3, 2, 1, 0);
}

#endif
