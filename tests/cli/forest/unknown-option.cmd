forest --bogus-option
