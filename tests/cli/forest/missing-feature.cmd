# predicting on a CSV without one of the model features names it
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.bin --trees 3 -q >/dev/null
cut -d, -f2- test.csv > nodport.csv
forest predict m.bin nodport.csv
