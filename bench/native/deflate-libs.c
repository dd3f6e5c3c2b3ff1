/*
 * One core's raw deflate throughput at level 1 on 1 MiB pieces of a file (the benchmarks' image:
 * BENCH_DIR/strata-deflate-bench-1024.img, written by `node dist/bench/deflate.bench.js`), for zlib
 * (Debian's zlib1g, what Node bundles a copy of), Intel ISA-L's igzip (stateless, full flush, not final:
 * what Strata's add-on does) and libdeflate (whole buffers, always final). Used to choose the add-on's
 * library by measurement (docs/performance.md); not part of the build.
 *
 *   apt-get install zlib1g-dev libisal-dev libdeflate-dev
 *   cc -O2 -o /tmp/deflate-libs bench/native/deflate-libs.c -I/usr/include/isa-l -lz -lisal -ldeflate
 *   /tmp/deflate-libs /tmp/strata-deflate-bench-1024.img
 *
 * Every piece is compressed (no sampling), so this is the libraries' own speed, random regions included.
 */
#include <igzip_lib.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define PIECE (1 << 20)

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static size_t zlib_piece(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
  static z_stream z;
  static int ready;
  if (!ready) {
    deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    ready = 1;
  }
  deflateReset(&z);
  z.next_in = (unsigned char *)in;
  z.avail_in = n;
  z.next_out = out;
  z.avail_out = cap;
  deflate(&z, Z_SYNC_FLUSH);
  return cap - z.avail_out;
}

static size_t isal_piece(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
  static struct isal_zstream s;
  static unsigned char level_buf[ISAL_DEF_LVL1_DEFAULT];
  isal_deflate_stateless_init(&s);
  s.next_in = (unsigned char *)in;
  s.avail_in = n;
  s.next_out = out;
  s.avail_out = cap;
  s.level = 1;
  s.level_buf = level_buf;
  s.level_buf_size = sizeof level_buf;
  s.end_of_stream = 0;
  s.flush = FULL_FLUSH;
  if (isal_deflate_stateless(&s) != COMP_OK) return n + 5;
  return cap - s.avail_out;
}

static size_t libdeflate_piece(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
  static struct libdeflate_compressor *c;
  if (!c) c = libdeflate_alloc_compressor(1);
  size_t r = libdeflate_deflate_compress(c, in, n, out, cap);
  return r ? r : n + 5;
}

int main(int argc, char **argv) {
  if (argc < 2) return fprintf(stderr, "usage: %s image\n", argv[0]), 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return perror(argv[1]), 2;
  fseek(f, 0, SEEK_END);
  size_t size = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *data = malloc(size), *out = malloc(2 * PIECE);
  if (fread(data, 1, size, f) != size) return perror("read"), 2;
  struct { const char *name; size_t (*fn)(const unsigned char *, size_t, unsigned char *, size_t); } libs[] = {
      {"zlib", zlib_piece}, {"isa-l", isal_piece}, {"libdeflate", libdeflate_piece}};
  int rounds = argc > 2 ? atoi(argv[2]) : 3;
  for (int r = 0; r < rounds; r++)
    for (int k = 0; k < 3; k++) {
      int i = (k + r) % 3; /* rotate the order every round */
      double t = now();
      size_t stored = 0;
      for (size_t at = 0; at < size; at += PIECE) stored += libs[i].fn(data + at, size - at < PIECE ? size - at : PIECE, out, 2 * PIECE);
      double s = now() - t;
      printf("round %d %-10s %.2f s %6.0f MB/s stored %zu (%.1f%%)\n", r, libs[i].name, s, size / 1e6 / s, stored, 100.0 * stored / size);
    }
  return 0;
}
