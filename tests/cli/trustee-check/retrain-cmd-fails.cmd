# a retrain command that fails: its status and last stderr line
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
trustee check train.csv --retrain-cmd 'echo cannot train >&2; exit 3' --samples 40 --iter 5 --stability-iter 2 --threads 1
