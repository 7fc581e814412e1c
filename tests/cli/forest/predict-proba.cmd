# predict adds Predicted and one probability column per class to the input rows
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.bin --trees 10 --seed 1 -q >/dev/null
forest predict m.bin test.csv --proba -o out.csv
head -4 out.csv | cut -d, -f1-3,79-
wc -l < out.csv
