/*
 * Reference values for Redstart's number parsing and formatting, produced by the C library
 * (glibc on x86-64) the way Redis 7.0.15 uses it: strtod/strtold with Redis's acceptance rules,
 * printf("%.*g"), "%.17Lf" trimmed as Redis's LD_STR_HUMAN, "%.17Lg", "%La", x87 long double
 * addition as INCRBYFLOAT does it, and GEO's fixed-point printing.
 *
 * Build:  gcc -O1 -std=gnu11 -o numbers_oracle numbers_oracle.c -lm
 *
 * Modes:
 *   numbers_oracle gen TABLE   print a golden table (cformat, strtod, strtold, incrbyfloat,
 *                              fixedpoint); the inputs come from a fixed-seed generator, so the
 *                              output only changes when this file or the C library does.
 *   numbers_oracle eval        read requests on stdin, one per line, and answer each with one line.
 *
 * Every line, in a table or an answer, is the request's fields followed by the result's fields,
 * separated by tabs. Text fields are escaped: bytes other than printable ASCII (space included)
 * and the backslash itself are written as \xHH. Requests:
 *
 *   g     BITS PRECISION   -> printf("%.<precision>g") of the double with those 16 hex-digit bits
 *   d     TEXT             -> CONSUMED ERANGE BITS STRING2D %.17g D2STRING
 *   ld    TEXT             -> CONSUMED ERANGE BITS80 STRING2LD HUMAN %.17Lg %La
 *   incr  CURRENT TEXT     -> the INCRBYFLOAT reply for a key holding CURRENT, or ERR:message
 *   fp    BITS DIGITS      -> fixed-point text of the double with DIGITS decimals
 *
 * CONSUMED is how many bytes strtod/strtold converted, ERANGE whether it set errno to ERANGE,
 * STRING2D/STRING2LD whether Redis accepts the text (1) or not (0), BITS80 the x87 value as
 * 4 hex digits of sign and exponent then 16 of significand.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 20000
#define REDIS_MAX_LONG_DOUBLE_CHARS (5 * 1024)

/* ---- escaping ---- */

static void put_escaped(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) s[i];
    if (c > ' ' && c < 0x7f && c != '\\') putchar(c);
    else printf("\\x%02x", c);
  }
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes an escaped field in place; returns its length. */
static size_t unescape(char *s) {
  size_t o = 0;
  for (size_t i = 0; s[i]; i++) {
    if (s[i] == '\\' && s[i + 1] == 'x' && hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0) {
      s[o++] = (char) (hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
      i += 3;
    } else {
      s[o++] = s[i];
    }
  }
  s[o] = '\0';
  return o;
}

/* ---- conversions ---- */

static double double_from_bits(uint64_t b) {
  double d;
  memcpy(&d, &b, 8);
  return d;
}

static uint64_t bits_of_double(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

static void print_ld_bits(long double v) {
  unsigned char raw[16] = {0};
  memcpy(raw, &v, 10);
  uint64_t sig;
  uint16_t se;
  memcpy(&sig, raw, 8);
  memcpy(&se, raw + 8, 2);
  printf("%04x%016llx", se, (unsigned long long) sig);
}

static int is_c_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Redis's rule for a strtold result (string2ld): whole text, no leading space, no ERANGE to
 * zero or infinity, no NaN, shorter than MAX_LONG_DOUBLE_CHARS. */
static int redis_accepts_ld(const char *s, size_t n, size_t consumed, int erange, long double v) {
  if (n == 0 || n >= REDIS_MAX_LONG_DOUBLE_CHARS) return 0;
  if (is_c_space((unsigned char) s[0]) || consumed != n) return 0;
  if (erange && (isinf(v) || v == 0)) return 0;
  return !isnan(v);
}

static int redis_accepts_d(const char *s, size_t n, size_t consumed, int erange, double v) {
  if (n == 0 || is_c_space((unsigned char) s[0]) || consumed != n) return 0;
  if (erange && (isinf(v) || v == 0)) return 0;
  return !isnan(v);
}

/* LD_STR_HUMAN: "%.17Lf", trailing zeros and dot dropped, "-0" printed as "0". */
static void human(long double v, char *out, size_t cap) {
  if (isinf(v)) {
    snprintf(out, cap, "%s", v > 0 ? "inf" : "-inf");
    return;
  }
  int n = snprintf(out, cap, "%.17Lf", v);
  if (strchr(out, '.')) {
    while (out[n - 1] == '0') n--;
    if (out[n - 1] == '.') n--;
  }
  out[n] = '\0';
  if (strcmp(out, "-0") == 0) strcpy(out, "0");
}

/* Redis's d2string: integers in [-2^62, 2^62] in plain decimal, else %.17g. */
static void d2string(double v, char *out, size_t cap) {
  if (isnan(v)) snprintf(out, cap, "nan");
  else if (isinf(v)) snprintf(out, cap, "%s", v < 0 ? "-inf" : "inf");
  else if (v == 0) snprintf(out, cap, "%s", signbit(v) ? "-0" : "0");
  else if (v >= -0x1p62 && v <= 0x1p62 && (double) (long long) v == v) {
    snprintf(out, cap, "%lld", (long long) v);
  } else {
    snprintf(out, cap, "%.17g", v);
  }
}

static char text_buf[MAX_TEXT + 1];

/* Copies a text into a NUL-terminated buffer: like an sds string, terminated after its bytes. */
static const char *terminated(const char *s, size_t n) {
  memcpy(text_buf, s, n);
  text_buf[n] = '\0';
  return text_buf;
}

static void answer_d(const char *s, size_t n) {
  const char *t = terminated(s, n);
  char *end;
  errno = 0;
  double v = strtod(t, &end);
  int erange = errno == ERANGE;
  size_t consumed = (size_t) (end - t);
  static char ds[64];
  d2string(v, ds, sizeof ds);
  put_escaped(s, n);
  printf("\t%zu\t%d\t%016llx\t%d\t%.17g\t%s", consumed, erange,
         (unsigned long long) bits_of_double(v), redis_accepts_d(s, n, consumed, erange, v), v, ds);
}

static void answer_ld(const char *s, size_t n) {
  const char *t = terminated(s, n);
  char *end;
  errno = 0;
  long double v = strtold(t, &end);
  int erange = errno == ERANGE;
  size_t consumed = (size_t) (end - t);
  static char h[6000];
  human(v, h, sizeof h);
  put_escaped(s, n);
  printf("\t%zu\t%d\t", consumed, erange);
  print_ld_bits(v);
  printf("\t%d\t%s\t%.17Lg\t%La", redis_accepts_ld(s, n, consumed, erange, v), h, v, v);
}

/* string2ld, then the acceptance rule. */
static int parse_ld(const char *s, size_t n, long double *out) {
  if (n >= REDIS_MAX_LONG_DOUBLE_CHARS) return 0;
  const char *t = terminated(s, n);
  char *end;
  errno = 0;
  long double v = strtold(t, &end);
  if (!redis_accepts_ld(s, n, (size_t) (end - t), errno == ERANGE, v)) return 0;
  *out = v;
  return 1;
}

/* INCRBYFLOAT on a key holding `cur`: returns the reply text (or ERR:...) in out. */
static void incrbyfloat(const char *cur, size_t cn, const char *inc, size_t in, char *out,
                        size_t cap) {
  long double a, b;
  if (!parse_ld(cur, cn, &a) || !parse_ld(inc, in, &b)) {
    snprintf(out, cap, "ERR:value is not a valid float");
    return;
  }
  volatile long double sum = a + b;
  if (isnan(sum) || isinf(sum)) {
    snprintf(out, cap, "ERR:increment would produce NaN or Infinity");
    return;
  }
  human(sum, out, cap);
}

static void answer_incr(const char *cur, size_t cn, const char *inc, size_t in) {
  static char r[6000];
  incrbyfloat(cur, cn, inc, in, r, sizeof r);
  put_escaped(cur, cn);
  putchar('\t');
  put_escaped(inc, in);
  printf("\t%s", r);
}

static void answer_g(uint64_t bits, int precision) {
  printf("%016llx\t%d\t%.*g", (unsigned long long) bits, precision, precision,
         double_from_bits(bits));
}

/* GEO's fixed point: llrint(d * 10^digits) with `digits` decimals. */
static void answer_fp(uint64_t bits, int digits) {
  static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
  double d = double_from_bits(bits);
  char out[64];
  if (d == 0) {
    out[0] = '0';
    out[1] = '.';
    memset(out + 2, '0', digits);
    out[digits + 2] = '\0';
  } else {
    volatile double scaled = d * pow10[digits];
    long long r = llrint(scaled);
    unsigned long long mag = r < 0 ? 0 - (unsigned long long) r : (unsigned long long) r;
    char num[48];
    int len = snprintf(num, sizeof num, "%llu", mag);
    if (len <= digits) { /* pad to "0" plus `digits` decimals */
      int pad = digits + 1 - len;
      memmove(num + pad, num, (size_t) len + 1);
      memset(num, '0', (size_t) pad);
      len += pad;
    }
    snprintf(out, sizeof out, "%s%.*s.%s", r < 0 ? "-" : "", len - digits, num, num + len - digits);
  }
  printf("%016llx\t%d\t%s", (unsigned long long) bits, digits, out);
}

/* ---- eval mode ---- */

static char line[4 * MAX_TEXT];

static void eval(void) {
  while (fgets(line, sizeof line, stdin)) {
    size_t l = strlen(line);
    while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r')) line[--l] = '\0';
    char *f[3] = {0};
    int nf = 0;
    char *p = line;
    char *op = strsep(&p, "\t");
    while (p && nf < 3) f[nf++] = strsep(&p, "\t");
    if (strcmp(op, "g") == 0 && nf == 2) {
      answer_g(strtoull(f[0], NULL, 16), atoi(f[1]));
    } else if (strcmp(op, "fp") == 0 && nf == 2) {
      answer_fp(strtoull(f[0], NULL, 16), atoi(f[1]));
    } else if (strcmp(op, "d") == 0 && nf == 1) {
      size_t n = unescape(f[0]);
      static char copy[MAX_TEXT];
      memcpy(copy, f[0], n);
      answer_d(copy, n);
    } else if (strcmp(op, "ld") == 0 && nf == 1) {
      size_t n = unescape(f[0]);
      static char copy[MAX_TEXT];
      memcpy(copy, f[0], n);
      answer_ld(copy, n);
    } else if (strcmp(op, "incr") == 0 && nf == 2) {
      size_t a = unescape(f[0]);
      size_t b = unescape(f[1]);
      answer_incr(f[0], a, f[1], b);
    } else {
      printf("?");
    }
    putchar('\n');
    fflush(stdout);
  }
}

/* ---- deterministic generators ---- */

static uint64_t rng_state;

static uint64_t next64(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static int below(int n) { return (int) (next64() % (uint64_t) n); }

static uint64_t random_finite_bits(void) {
  for (;;) {
    uint64_t b = next64();
    if (((b >> 52) & 0x7ff) != 0x7ff) return b;
  }
}

/* A decimal text of random shape: sign, digits, point, exponent. */
static size_t random_decimal(char *out, int max_exp) {
  size_t n = 0;
  int r = below(4);
  if (r == 0) out[n++] = '-';
  else if (r == 1) out[n++] = '+';
  int ints = below(4) == 0 ? 0 : 1 + below(below(2) ? 3 : 22);
  int fracs = below(3) == 0 ? 0 : below(22);
  if (ints == 0 && fracs == 0) ints = 1;
  for (int i = 0; i < ints; i++) out[n++] = (char) ('0' + (i == 0 && ints > 1 && below(4) ? 1 + below(9) : below(10)));
  if (fracs > 0 || below(8) == 0) {
    out[n++] = '.';
    for (int i = 0; i < fracs; i++) out[n++] = (char) ('0' + below(10));
  }
  if (below(2)) {
    out[n++] = below(2) ? 'e' : 'E';
    int s = below(3);
    if (s == 0) out[n++] = '-';
    else if (s == 1) out[n++] = '+';
    n += (size_t) sprintf(out + n, "%d", below(max_exp + 1));
  }
  out[n] = '\0';
  return n;
}

static size_t random_hex(char *out, int max_exp) {
  size_t n = 0;
  if (below(3) == 0) out[n++] = '-';
  out[n++] = '0';
  out[n++] = below(2) ? 'x' : 'X';
  int ints = below(4) == 0 ? 0 : 1 + below(18);
  int fracs = below(2) ? 0 : below(20);
  if (ints == 0 && fracs == 0) ints = 1;
  static const char hex[] = "0123456789abcdefABCDEF";
  for (int i = 0; i < ints; i++) out[n++] = hex[below(22)];
  if (fracs > 0) {
    out[n++] = '.';
    for (int i = 0; i < fracs; i++) out[n++] = hex[below(22)];
  }
  if (below(4)) {
    out[n++] = below(2) ? 'p' : 'P';
    if (below(2)) out[n++] = '-';
    n += (size_t) sprintf(out + n, "%d", below(max_exp + 1));
  }
  out[n] = '\0';
  return n;
}

/* Exact decimal text of m * 2^e2 (m < 2^127) using a base-10^9 big number. */
static size_t exact_decimal(unsigned __int128 m, int e2, char *out) {
  static uint32_t limb[4000];
  int nl = 0;
  while (m > 0) {
    limb[nl++] = (uint32_t) (m % 1000000000u);
    m /= 1000000000u;
  }
  uint32_t factor = e2 >= 0 ? 2 : 5;
  for (int k = 0; k < abs(e2); k++) {
    uint64_t carry = 0;
    for (int i = 0; i < nl; i++) {
      uint64_t x = (uint64_t) limb[i] * factor + carry;
      limb[i] = (uint32_t) (x % 1000000000u);
      carry = x / 1000000000u;
    }
    if (carry) limb[nl++] = (uint32_t) carry;
  }
  static char digits[40000];
  int dn = sprintf(digits, "%u", limb[nl - 1]);
  for (int i = nl - 2; i >= 0; i--) dn += sprintf(digits + dn, "%09u", limb[i]);
  if (e2 >= 0) {
    memcpy(out, digits, (size_t) dn + 1);
    return (size_t) dn;
  }
  int scale = -e2; /* digits after the point */
  size_t n = 0;
  if (dn <= scale) {
    out[n++] = '0';
    out[n++] = '.';
    for (int i = dn; i < scale; i++) out[n++] = '0';
    memcpy(out + n, digits, (size_t) dn);
    n += (size_t) dn;
  } else {
    memcpy(out, digits, (size_t) (dn - scale));
    n = (size_t) (dn - scale);
    out[n++] = '.';
    memcpy(out + n, digits + dn - scale, (size_t) scale);
    n += (size_t) scale;
  }
  while (out[n - 1] == '0') n--; /* trailing zeros of the fraction */
  if (out[n - 1] == '.') n--;
  out[n] = '\0';
  return n;
}

/* Variants of a number's exact text: as is, one digit short (just below), and with a trailing
 * 1 (just above). */
static void emit_variants(void (*answer)(const char *, size_t), const char *t, size_t n) {
  static char v[MAX_TEXT];
  answer(t, n);
  putchar('\n');
  if (n > 3 && strchr(t, '.')) {
    answer(t, n - 1);
    putchar('\n');
  }
  if (n + 2 < MAX_TEXT) {
    memcpy(v, t, n);
    size_t m = n;
    if (!strchr(t, '.')) v[m++] = '.';
    v[m++] = '0';
    v[m++] = '1';
    answer(v, m);
    putchar('\n');
  }
}

static const char *const edge_texts[] = {
    "0", "-0", "+0", "1", "-1", "+1", "0.5", ".5", "5.", "-.5", "+.5e-3", "1e", "1e+", "1e-",
    "1E3", "3.0e3", "10.5", "0.1", "1.1", "-0.3", "00012", "0.000", "1.5.3", ".", "-", "+", "",
    " 1", "1 ", "\t1", "\n1", "\v1", "\f1", "\r1", "1\t", "- 1", "+-1", "--1", "1x", "1,5",
    "1_000", "0x10", "0X10", "0x", "-0x", "0x.", "0x.p1", "0x1p", "0x1p+", "0x1P+3", "0x.8p1",
    "0x1.8", "0xg", "0x1.fffffffffffffp1023", "0x1.fffffffffffff8p1023", "0x1p1024",
    "0x1p-1074", "0x1p-1075", "0x1.8p-1075", "0x1.0000000000001p-1075", "0x1p-1076",
    "0x1.fffffffffffffp-1023", "0x1.fffffffffffff8p-1023", "0x1.fffffffffffff7p-1023",
    "0x1p-16383", "0x1p-16384", "0x1.fp-16383", "0x1p-16445", "0x1p-16446", "0x1.8p-16446",
    "0x1p-16447", "0x1.ffffffffffffffffp-16383", "0x1.ffffffffffffffff8p-16383",
    "0x1.ffffffffffffffff7p-16383", "0x1.fffffffffffffffep16383", "0x1.ffffffffffffffffp16383",
    "0x1p16384", "0x0p99999999999999999999", "0e99999999999999999999", "1e99999999999999999999",
    "1e-99999999999999999999", "0.0e-99999999999999999999", "1e308", "1.7976931348623157e308",
    "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "2.2250738585072014e-308",
    "2.2250738585072011e-308", "4.9406564584124654e-324", "2.4703282292062327e-324",
    "2.4703282292062328e-324", "3e-324", "1e-320", "1e-400", "1e4932", "1.18973149535723176502e4932",
    "1.18973149535723176508e4932", "1.2e4932", "1e4933", "3.36210314311209350626e-4932",
    "3.6451995318824746025e-4951", "1.8225997659412373012e-4951", "1.8225997659412373013e-4951",
    "1e-4950", "1e-4951", "1e-4952", "1e-5000", "inf", "-inf", "+inf", "INF", "Inf", "infinity",
    "-Infinity", "INFINITY", "infinit", "infinityx", "in", "nan", "-nan", "NaN", "nan(123)",
    "nan(", "nan()", "nan(abc_1)", "nanx", "1e+0010", "1e-0", "123456789012345678901234567890",
    "0.000000000000000000000000000000000000000001", "9007199254740993", "9007199254740992.5",
    "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
    "18446744073709551617", "36893488147419103231", "1\\x002", "\\x001",
};

static void gen_strto(void (*answer)(const char *, size_t), int ld) {
  static char t[MAX_TEXT];
  for (size_t i = 0; i < sizeof edge_texts / sizeof edge_texts[0]; i++) {
    strcpy(t, edge_texts[i]);
    size_t n = unescape(t);
    answer(t, n);
    putchar('\n');
  }
  rng_state = ld ? 0x4c4f4e47444f55ULL : 0x444f55424c45ULL;
  for (int i = 0; i < 1200; i++) {
    /* Mostly everyday magnitudes; some near and beyond the ends of the range (few for long
     * double, whose huge values print thousands of digits). */
    int max_exp = below(3) ? 40 : (ld ? (below(30) ? 60 : 5000) : 340);
    size_t n = random_decimal(t, max_exp);
    answer(t, n);
    putchar('\n');
  }
  for (int i = 0; i < 300; i++) {
    size_t n = random_hex(t, below(10) ? 300 : (ld ? 16500 : 1100));
    answer(t, n);
    putchar('\n');
  }
  for (int i = 0; i < 400; i++) {
    double d = double_from_bits(random_finite_bits());
    const char *fmt[] = {"%.17g", "%a", "%.20g", "%.16g", "%.6g"};
    int n = sprintf(t, fmt[below(5)], d);
    answer(t, (size_t) n);
    putchar('\n');
  }
  /* Exact halfway points between neighbours, and texts just below and above them. */
  int precision = ld ? 64 : 53;
  for (int i = 0; i < 150; i++) {
    unsigned __int128 sig = ((unsigned __int128) 1 << (precision - 1)) |
                            (next64() & (((unsigned __int128) 1 << (precision - 1)) - 1));
    if (i % 5 == 0) sig |= 1; /* odd: rounds up at the midpoint */
    if (i % 5 == 1) sig &= ~(unsigned __int128) 1; /* even: rounds down */
    unsigned __int128 mid = sig * 2 + 1;
    int e2 = i < 120 ? below(140) - 100 : below(ld ? 700 : 800) - (ld ? 650 : 700);
    size_t n = exact_decimal(mid, e2, t);
    if (n < MAX_TEXT - 4) emit_variants(answer, t, n);
  }
  /* Subnormal halfway points for double (long double ones exceed Redis's length limit). */
  if (!ld) {
    for (int i = 0; i < 20; i++) {
      unsigned __int128 mid = (next64() & ((1ULL << 52) - 1)) * 2 + 1;
      size_t n = exact_decimal(mid, -1075, t);
      emit_variants(answer, t, n);
    }
  }
  /* Long texts around the length limit. */
  for (int len = REDIS_MAX_LONG_DOUBLE_CHARS - 2; len <= REDIS_MAX_LONG_DOUBLE_CHARS + 1; len++) {
    t[0] = '1';
    t[1] = '.';
    for (int k = 2; k < len; k++) t[k] = (char) ('0' + (k * 7) % 10);
    answer(t, (size_t) len);
    putchar('\n');
  }
}

static void gen_cformat(void) {
  static const uint64_t special[] = {
      0x0000000000000000ULL, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
      0x7ff8000000000000ULL, 0x0000000000000001ULL, 0x000fffffffffffffULL, 0x0010000000000000ULL,
      0x7fefffffffffffffULL, 0x3ff0000000000000ULL, 0xbff0000000000000ULL, 0x3fb999999999999aULL,
      0x3fe0000000000000ULL, 0x3ff8000000000000ULL, 0x4004000000000000ULL, 0x4340000000000000ULL,
      0x4340000000000001ULL, 0x43e0000000000000ULL, 0x43f0000000000000ULL, 0x430c6bf526340000ULL,
      0x4341c37937e08000ULL, 0x4376345785d8a000ULL, 0x444b1ae4d6e2ef50ULL, 0x44b52d02c7e14af6ULL,
      0x3eb0c6f7a0b5ed8dULL, 0x3ee4f8b588e368f1ULL, 0x3f1a36e2eb1c432dULL, 0x3f50624dd2f1a9fcULL,
      0x408f400000000000ULL, 0x40c3880000000000ULL, 0x3fefffffffffffffULL, 0x4023ffffffffffffULL,
      0x41cdcd6500000000ULL, 0x4415af1d78b58c40ULL, 0x400921fb54442d18ULL, 0xc00921fb54442d18ULL,
      0x3fc0000000000000ULL, 0x3fd8000000000000ULL, 0x3f847ae147ae147bULL, 0x0000000000000400ULL,
  };
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
    for (int p = 0; p <= 17; p++) {
      answer_g(special[i], p);
      putchar('\n');
    }
  }
  rng_state = 0x43464f524d4154ULL;
  /* Short binary fractions (k / 2^j): exact decimal ties at many precisions. */
  for (int i = 0; i < 200; i++) {
    double d = ldexp((double) (1 + below(1 << 20)), -below(24)) * (below(2) ? 1 : -1);
    d *= below(3) == 0 ? 1e-6 : 1;
    int p = 1 + below(17);
    answer_g(bits_of_double(d), p);
    putchar('\n');
    answer_g(bits_of_double(ldexp((double) (2 * below(1000) + 1), -below(12))), 1 + below(6));
    putchar('\n');
  }
  /* Integers beyond 2^53. */
  for (int i = 0; i < 300; i++) {
    double d = (double) (next64() >> below(11));
    answer_g(bits_of_double(below(2) ? d : -d), 14 + below(4));
    putchar('\n');
  }
  /* Any finite double, any precision. */
  for (int i = 0; i < 2500; i++) {
    answer_g(random_finite_bits(), 1 + below(17));
    putchar('\n');
  }
  /* Subnormals and values near the ends of the range. */
  for (int i = 0; i < 300; i++) {
    uint64_t b = next64() & 0x000fffffffffffffULL >> below(52);
    if (b == 0) b = 1;
    if (i % 3 == 1) b = 0x7fe0000000000000ULL | (next64() & 0x000fffffffffffffULL);
    if (i % 3 == 2) b = 0x0010000000000000ULL | (next64() & 0x000fffffffffffffULL);
    if (below(2)) b |= 0x8000000000000000ULL;
    answer_g(b, 1 + below(17));
    putchar('\n');
  }
}

static void gen_incrbyfloat(void) {
  static char cur[6000];
  static char r[6000];
  /* Repeated increments: each reply is the next stored value, as on a real key. */
  static const char *const steps[] = {"0.1", "1.1", "-0.3", "1e-5", "3.0e3", "0.0000001",
                                      "123456789.123456789", "0.7", "-1.0000000000000001",
                                      "1e17", "0x1p-10", "2.5e-17"};
  for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
    strcpy(cur, "0");
    for (int i = 0; i < 120; i++) {
      incrbyfloat(cur, strlen(cur), steps[s], strlen(steps[s]), r, sizeof r);
      answer_incr(cur, strlen(cur), steps[s], strlen(steps[s]));
      putchar('\n');
      strcpy(cur, r);
    }
  }
  static const char *const pairs[][2] = {
      {"10.5", "0.1"}, {"1e308", "1e308"}, {"1e4932", "1e4932"}, {"1.1e4932", "-1e4932"},
      {"1.18973149535723176502e4932", "1e4900"}, {"5.0e3", "2.0e2"}, {"0", "inf"}, {"inf", "1"},
      {"1", "-inf"}, {"0", "nan"}, {"0", "0x10"}, {"0", " 1"}, {"0", "1 "}, {"abc", "1"},
      {"1", ""}, {"", "1"}, {"0", "1e-4950"}, {"0", "1e-5000"}, {"-0", "-0"}, {"0", "-0"},
      {"-1e-30", "0"}, {"-0.000000000000000001", "0"}, {"-0.000000000000000005", "0"},
      {"-0.000000000000000006", "0"}, {"1", "-1"}, {"0.1", "0.2"}, {"3", "1e-20"},
      {"1e20", "1"}, {"9223372036854775807", "1"}, {"18446744073709551615", "1"},
      {"1e19", "1e-19"}, {"1.5", "0x1p-63"}, {"1", "0x1p-64"}, {"1", "0x1.8p-64"},
      {"1", "0x1.0000001p-64"}, {"1", "-0x1p-65"}, {"1", "-0x1.0000001p-65"},
      {"0x1p-16445", "0x1p-16445"}, {"0x1p-16382", "-0x1p-16445"}, {"1e4000", "-1e4000"},
      {"0.3", "1e-17"}, {"0.3", "5e-18"}, {"99999999999999999.9", "0.1"},
  };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    answer_incr(pairs[i][0], strlen(pairs[i][0]), pairs[i][1], strlen(pairs[i][1]));
    putchar('\n');
  }
  rng_state = 0x494e4352ULL;
  static char a[MAX_TEXT], b[MAX_TEXT];
  for (int i = 0; i < 1500; i++) {
    size_t an = random_decimal(a, below(40) == 0 ? 4940 : 30);
    size_t bn = below(5) == 0 ? random_hex(b, 70) : random_decimal(b, below(40) == 0 ? 4940 : 30);
    if (below(3) == 0) { /* an increment near the current value's magnitude */
      long double x;
      if (parse_ld(a, an, &x)) {
        /* Its own text, or the opposite of it, so that the sum cancels to few digits. */
        b[0] = '-';
        human(x, b + 1, sizeof b - 1);
        const char *t = below(2) ? b + 1 : (b[1] == '-' ? b + 2 : b);
        bn = strlen(t);
        memmove(b, t, bn + 1);
      }
    }
    answer_incr(a, an, b, bn);
    putchar('\n');
  }
}

static void gen_fixedpoint(void) {
  static const double special[] = {0.0, -0.0, 0.0001, 6.0642951598391699e-05, 0.01, -0.01, -0.1,
                                   0.1, 10.01, 0.00005, 0.00015, 0.00025, -0.00005, 1e-300,
                                   -1e-300, 12345678.98765, 1e15, 1e18, 1e300, -1e300};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
    for (int dgt = 1; dgt <= 17; dgt++) {
      answer_fp(bits_of_double(special[i]), dgt);
      putchar('\n');
    }
  }
  rng_state = 0x47454fULL;
  for (int i = 0; i < 1500; i++) {
    /* Distances as GEO computes them: metres up to the antipode, converted to another unit. */
    static const double units[] = {1, 1000, 0.3048, 1609.34};
    double d = (double) (next64() >> 11) / 9007199254740992.0 * 20037726.37 / units[below(4)];
    if (below(4) == 0) d = ldexp(d, -below(30));
    answer_fp(bits_of_double(d), i % 4 == 0 ? 1 + below(17) : 4);
    putchar('\n');
  }
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "eval") == 0) {
    eval();
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "gen") == 0) {
    const char *t = argv[2];
    if (strcmp(t, "cformat") == 0) gen_cformat();
    else if (strcmp(t, "strtod") == 0) gen_strto(answer_d, 0);
    else if (strcmp(t, "strtold") == 0) gen_strto(answer_ld, 1);
    else if (strcmp(t, "incrbyfloat") == 0) gen_incrbyfloat();
    else if (strcmp(t, "fixedpoint") == 0) gen_fixedpoint();
    else {
      fprintf(stderr, "unknown table %s\n", t);
      return 2;
    }
    return 0;
  }
  fprintf(stderr, "usage: %s eval | gen cformat|strtod|strtold|incrbyfloat|fixedpoint\n", argv[0]);
  return 2;
}
