trustee explain model.rf data.csv --aggregate some
