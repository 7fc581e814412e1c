trustee explain model.rf
