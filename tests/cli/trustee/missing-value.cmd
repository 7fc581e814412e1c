trustee explain model.rf data.csv --iter
