#!/bin/sh
# Regenerates the golden number tables from the C library (glibc, x86-64) with
# numbers_oracle.c. Run from the repository root; needs gcc. The output depends only on
# numbers_oracle.c and the C library, so an unchanged oracle reproduces the committed tables.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O1 -std=gnu11 -o "$work/numbers_oracle" tools/c/numbers_oracle.c -lm
"$work/numbers_oracle" gen cformat > resp/src/test/resources/io/redstart/resp/printf-g.tsv
for t in strtod strtold incrbyfloat fixedpoint; do
  "$work/numbers_oracle" gen "$t" > "server/src/test/resources/io/redstart/util/$t.tsv"
done
