#include "vector_math.h"

#include <string.h>

void genre_square_roots(const float *x, float *out, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        genre_float8 v;
        memcpy(&v, x + i, sizeof v);
        v = genre_square_root8(v);
        memcpy(out + i, &v, sizeof v);
    }
    for (; i < n; i++) {
        genre_float8 v = {x[i]};
        out[i] = genre_square_root8(v)[0];
    }
}
