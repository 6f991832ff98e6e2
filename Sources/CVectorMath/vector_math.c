#include "vector_math.h"

#include <string.h>

typedef float float8 __attribute__((ext_vector_type(8)));

void genre_square_roots(const float *x, float *out, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float8 v;
        memcpy(&v, x + i, sizeof v);
        v = __builtin_elementwise_sqrt(v);
        memcpy(out + i, &v, sizeof v);
    }
    for (; i < n; i++) {
        float8 v = {x[i]};
        out[i] = __builtin_elementwise_sqrt(v)[0];
    }
}
