# a hold-out of 3 rows per class leaves too few rows for Trustee's default samples
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
head -7 train.csv >small.csv
trustee check m.rf small.csv
