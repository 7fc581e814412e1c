trustee explain --iter 0 model.rf data.csv
