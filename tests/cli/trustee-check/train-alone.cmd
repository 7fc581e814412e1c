# TRAIN.csv alone needs --retrain-cmd
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
trustee check train.csv --samples 40 --iter 5 --stability-iter 2 --threads 1
