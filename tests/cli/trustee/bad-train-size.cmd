trustee explain model.rf data.csv --train-size 1
