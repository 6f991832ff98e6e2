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

#endif
