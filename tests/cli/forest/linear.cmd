# LIBLINEAR logistic regression and SVM on scaled features
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o lr.bin --linear
forest eval lr.bin test.csv --json
forest train train.csv -o svm.bin --linear --solver svm --C 2 >/dev/null
forest info svm.bin | grep -v "^features"
forest predict svm.bin test.csv --proba | head -3 | cut -d, -f79-
