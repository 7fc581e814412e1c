# check cannot retrain a model known by its answers: --expert-cmd is a usage error naming --retrain-cmd
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
trustee check train.csv --expert-cmd 'cat' --samples 40 --iter 5 --stability-iter 2 --threads 1
