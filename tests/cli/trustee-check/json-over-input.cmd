# --json naming an input is refused before any work, and the input stays
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
cp train.csv keep.csv
trustee check m.rf train.csv --json train.csv --samples 40 --iter 5 --stability-iter 2 --threads 1; echo "exit $?"
cmp train.csv keep.csv && echo train.csv intact
