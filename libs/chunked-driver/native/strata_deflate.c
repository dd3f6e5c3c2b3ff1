/*
 * Raw deflate of one whole piece with Intel ISA-L's igzip, for Strata's ParallelDeflate (pigz's way:
 * pieces deflated independently, each ending on a byte boundary and not final, concatenated into one
 * zlib stream). Only what Node's zlib cannot do fast enough is here: the framing (header, final block,
 * Adler-32 trailer, stored pieces) stays in TypeScript.
 *
 * deflate(input: Buffer, level: number, withAdler: boolean) -> Promise<{ out: Buffer | null, adler: number }>
 *   runs on the libuv thread pool, as Node's own zlib does. `out` is null when the piece would not fit
 *   in input length + stored-block overhead (incompressible: the caller stores it). `adler` is the
 *   Adler-32 of the input from the initial value 1 (0 unless asked for).
 * The input Buffer is referenced until the promise settles and must not change meanwhile.
 *
 * inflateOpen() -> stream; inflateStep(stream, input, out) -> Promise<{ consumed, produced, finished }>
 *   one zlib stream (RFC 1950: header, deflate, Adler-32 checked at its end) inflated with ISA-L across
 *   calls, each from `input` into `out` until `out` is full, `input` is used up or the stream ends, on the
 *   libuv thread pool. One step of a stream at a time; both buffers are referenced until it settles.
 *   Rejects on damaged data, a wrong checksum, or data after the stream's end. The stream is freed with
 *   its handle (garbage collected).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#include <igzip_lib.h>

#define CHECK(call)                                                    \
  do {                                                                 \
    if ((call) != napi_ok) {                                           \
      napi_throw_error(env, NULL, "strata_deflate: " #call " failed"); \
      return NULL;                                                     \
    }                                                                  \
  } while (0)

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input_ref;
  const uint8_t *in;
  size_t in_len;
  int level;
  int with_adler;
  uint8_t *out;
  size_t out_len;
  int status; /* 0 ok, 1 did not fit, 2 failed */
  uint32_t adler;
} job_t;

/* Per pool thread, kept for the thread's life: the stream state and the level buffer (levels 1-3). */
static __thread struct isal_zstream *thread_stream;
static __thread uint8_t *thread_level_buf;

static uint32_t level_buf_size(int level) {
  switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
  }
}
#define LEVEL_BUF_MAX (ISAL_DEF_LVL1_DEFAULT > ISAL_DEF_LVL2_DEFAULT                                   \
                         ? (ISAL_DEF_LVL1_DEFAULT > ISAL_DEF_LVL3_DEFAULT ? ISAL_DEF_LVL1_DEFAULT : ISAL_DEF_LVL3_DEFAULT) \
                         : (ISAL_DEF_LVL2_DEFAULT > ISAL_DEF_LVL3_DEFAULT ? ISAL_DEF_LVL2_DEFAULT : ISAL_DEF_LVL3_DEFAULT))

static void execute(napi_env env, void *data) {
  (void)env;
  job_t *job = data;
  if (job->with_adler) job->adler = isal_adler32(1, job->in, job->in_len);
  if (!thread_stream) thread_stream = malloc(sizeof(struct isal_zstream));
  if (!thread_level_buf) thread_level_buf = malloc(LEVEL_BUF_MAX);
  /* Stored blocks at most: 5 bytes per 65535 of input, plus a block header's worth of slack. */
  size_t bound = job->in_len + 5 * (job->in_len / 65535 + 1) + ISAL_DEF_MAX_HDR_SIZE + 64;
  job->out = malloc(bound);
  if (!thread_stream || !thread_level_buf || !job->out) {
    job->status = 2;
    return;
  }
  struct isal_zstream *s = thread_stream;
  /* The same input must give the same bytes on every thread, whatever the thread deflated before: with the
   * stream and level buffer reused as they were left, level 1 gave two different (both valid) outputs for
   * one 32 KiB input, by thread (parallel-deflate.spec, about one run in eight under load). Both start
   * zeroed instead: tens of microseconds against a piece's deflate. */
  memset(s, 0, sizeof(*s));
  memset(thread_level_buf, 0, LEVEL_BUF_MAX);
  isal_deflate_stateless_init(s);
  s->next_in = (uint8_t *)job->in;
  s->avail_in = (uint32_t)job->in_len;
  s->next_out = job->out;
  s->avail_out = (uint32_t)bound;
  s->level = (uint32_t)job->level;
  s->level_buf = thread_level_buf;
  s->level_buf_size = level_buf_size(job->level);
  s->end_of_stream = 0;   /* not final: more pieces follow */
  s->flush = FULL_FLUSH;  /* byte-aligned end, no reference to history outside the piece */
  s->gzip_flag = IGZIP_DEFLATE;
  int rc = isal_deflate_stateless(s);
  if (rc == STATELESS_OVERFLOW) {
    job->status = 1;
    return;
  }
  if (rc != COMP_OK || s->avail_in != 0) {
    job->status = 2;
    return;
  }
  job->out_len = bound - s->avail_out;
  job->status = 0;
}

static void free_out(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void complete(napi_env env, napi_status status, void *data) {
  job_t *job = data;
  napi_value result, out, adler;
  int ok = status == napi_ok && job->status != 2;
  if (ok) {
    napi_create_object(env, &result);
    if (job->status == 0 && job->out_len > 0) {
      uint8_t *shrunk = realloc(job->out, job->out_len);
      if (shrunk) job->out = shrunk;
      if (napi_create_external_buffer(env, job->out_len, job->out, free_out, NULL, &out) == napi_ok) {
        job->out = NULL; /* owned by the Buffer now */
      } else {
        void *copy;
        napi_create_buffer_copy(env, job->out_len, job->out, &copy, &out);
      }
    } else if (job->status == 0) {
      void *unused;
      napi_create_buffer(env, 0, &unused, &out);
    } else {
      napi_get_null(env, &out);
    }
    napi_create_uint32(env, job->adler, &adler);
    napi_set_named_property(env, result, "out", out);
    napi_set_named_property(env, result, "adler", adler);
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, "strata_deflate: isal_deflate_stateless failed", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, job->deferred, err);
  }
  free(job->out);
  napi_delete_reference(env, job->input_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value deflate_piece(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool is_buffer = false;
  if (argc < 3 || napi_is_buffer(env, argv[0], &is_buffer) != napi_ok || !is_buffer) {
    napi_throw_type_error(env, NULL, "deflate(input: Buffer, level: number, withAdler: boolean)");
    return NULL;
  }
  int32_t level;
  bool with_adler;
  CHECK(napi_get_value_int32(env, argv[1], &level));
  CHECK(napi_get_value_bool(env, argv[2], &with_adler));
  if (level < 0 || level > 3) {
    napi_throw_range_error(env, NULL, "ISA-L deflate levels are 0-3");
    return NULL;
  }
  void *in;
  size_t in_len;
  CHECK(napi_get_buffer_info(env, argv[0], &in, &in_len));
  if (in_len > UINT32_MAX / 2) {
    napi_throw_range_error(env, NULL, "piece too large");
    return NULL;
  }
  job_t *job = calloc(1, sizeof(job_t));
  if (!job) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  job->in = in;
  job->in_len = in_len;
  job->level = level;
  job->with_adler = with_adler;
  napi_value promise, name;
  CHECK(napi_create_reference(env, argv[0], 1, &job->input_ref));
  CHECK(napi_create_promise(env, &job->deferred, &promise));
  CHECK(napi_create_string_utf8(env, "strata_deflate", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_async_work(env, NULL, name, execute, complete, job, &job->work));
  CHECK(napi_queue_async_work(env, job->work));
  return promise;
}

/* Adler-32 of a buffer on the calling thread, continuing from `init` (SIMD, several GB/s). */
static napi_value adler32(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *in;
  size_t in_len;
  uint32_t init;
  CHECK(napi_get_buffer_info(env, argv[0], &in, &in_len));
  CHECK(napi_get_value_uint32(env, argv[1], &init));
  CHECK(napi_create_uint32(env, isal_adler32(init, in, in_len), &result));
  return result;
}


/* ---------- inflate ---------- */

typedef struct {
  struct inflate_state st;
  int finished;
  int busy;
} inflater_t;

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref stream_ref, in_ref, out_ref;
  inflater_t *inf;
  uint8_t *in;
  size_t in_len;
  uint8_t *out;
  size_t out_len;
  size_t consumed, produced;
  const char *error; /* NULL when the step went well */
} inflate_job_t;

static void free_inflater(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static napi_value inflate_open(napi_env env, napi_callback_info info) {
  (void)info;
  inflater_t *inf = malloc(sizeof(inflater_t));
  if (!inf) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  isal_inflate_init(&inf->st);
  inf->st.crc_flag = ISAL_ZLIB; /* parses the zlib header, checks the Adler-32 trailer */
  inf->finished = 0;
  inf->busy = 0;
  napi_value handle;
  if (napi_create_external(env, inf, free_inflater, NULL, &handle) != napi_ok) {
    free(inf);
    napi_throw_error(env, NULL, "strata_deflate: napi_create_external failed");
    return NULL;
  }
  return handle;
}

static const char *inflate_error(int rc) {
  switch (rc) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    case ISAL_NEED_DICT: return "a preset dictionary is needed";
    default: return "inflate failed";
  }
}

static void inflate_execute(napi_env env, void *data) {
  (void)env;
  inflate_job_t *job = data;
  inflater_t *inf = job->inf;
  struct inflate_state *s = &inf->st;
  s->next_in = job->in;
  s->avail_in = (uint32_t)job->in_len;
  s->next_out = job->out;
  s->avail_out = (uint32_t)job->out_len;
  while (!inf->finished) {
    uint32_t in_before = s->avail_in, out_before = s->avail_out;
    int rc = isal_inflate(s);
    if (rc < 0 || rc == ISAL_NEED_DICT) {
      job->error = inflate_error(rc);
      break;
    }
    if (s->block_state == ISAL_BLOCK_FINISH) inf->finished = 1;
    else if (s->avail_out == 0 || (s->avail_in == in_before && s->avail_out == out_before)) break;
  }
  job->consumed = job->in_len - s->avail_in;
  job->produced = job->out_len - s->avail_out;
  if (!job->error && inf->finished && job->consumed < job->in_len) job->error = "data after the end of the zlib stream";
}

static void inflate_complete(napi_env env, napi_status status, void *data) {
  inflate_job_t *job = data;
  job->inf->busy = 0;
  if (status == napi_ok && !job->error) {
    napi_value result, consumed, produced, finished;
    napi_create_object(env, &result);
    napi_create_double(env, (double)job->consumed, &consumed);
    napi_create_double(env, (double)job->produced, &produced);
    napi_get_boolean(env, job->inf->finished, &finished);
    napi_set_named_property(env, result, "consumed", consumed);
    napi_set_named_property(env, result, "produced", produced);
    napi_set_named_property(env, result, "finished", finished);
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, job->error ? job->error : "inflate was cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, job->deferred, err);
  }
  napi_delete_reference(env, job->stream_ref);
  napi_delete_reference(env, job->in_ref);
  napi_delete_reference(env, job->out_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

/* The bytes of a Buffer or any typed array, shared memory included. */
static int bytes_of(napi_env env, napi_value value, uint8_t **data, size_t *len) {
  bool is_typedarray = false;
  if (napi_is_typedarray(env, value, &is_typedarray) != napi_ok || !is_typedarray) return 0;
  napi_typedarray_type type;
  napi_value arraybuffer;
  size_t offset;
  void *p;
  if (napi_get_typedarray_info(env, value, &type, len, &p, &arraybuffer, &offset) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  *data = p;
  return 1;
}

static napi_value inflate_step(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  inflater_t *inf = NULL;
  uint8_t *in, *out;
  size_t in_len, out_len;
  if (argc < 3 || napi_get_value_external(env, argv[0], (void **)&inf) != napi_ok || !inf ||
      !bytes_of(env, argv[1], &in, &in_len) || !bytes_of(env, argv[2], &out, &out_len)) {
    napi_throw_type_error(env, NULL, "inflateStep(stream, input: Uint8Array, out: Uint8Array)");
    return NULL;
  }
  if (inf->busy) {
    napi_throw_error(env, NULL, "inflateStep: the previous step of this stream has not settled");
    return NULL;
  }
  if (in_len > UINT32_MAX / 2 || out_len > UINT32_MAX / 2) {
    napi_throw_range_error(env, NULL, "buffer too large");
    return NULL;
  }
  inflate_job_t *job = calloc(1, sizeof(inflate_job_t));
  if (!job) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  job->inf = inf;
  job->in = in;
  job->in_len = in_len;
  job->out = out;
  job->out_len = out_len;
  napi_value promise, name;
  CHECK(napi_create_reference(env, argv[0], 1, &job->stream_ref));
  CHECK(napi_create_reference(env, argv[1], 1, &job->in_ref));
  CHECK(napi_create_reference(env, argv[2], 1, &job->out_ref));
  CHECK(napi_create_promise(env, &job->deferred, &promise));
  CHECK(napi_create_string_utf8(env, "strata_inflate", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_async_work(env, NULL, name, inflate_execute, inflate_complete, job, &job->work));
  CHECK(napi_queue_async_work(env, job->work));
  inf->busy = 1;
  return promise;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "deflate", NAPI_AUTO_LENGTH, deflate_piece, NULL, &fn) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "deflate", fn);
  if (napi_create_function(env, "adler32", NAPI_AUTO_LENGTH, adler32, NULL, &fn) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "adler32", fn);
  if (napi_create_function(env, "inflateOpen", NAPI_AUTO_LENGTH, inflate_open, NULL, &fn) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "inflateOpen", fn);
  if (napi_create_function(env, "inflateStep", NAPI_AUTO_LENGTH, inflate_step, NULL, &fn) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "inflateStep", fn);
  return exports;
}
