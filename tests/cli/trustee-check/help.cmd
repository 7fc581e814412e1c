# trustee check --help
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
trustee check --help
