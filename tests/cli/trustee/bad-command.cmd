trustee explian model.rf data.csv
