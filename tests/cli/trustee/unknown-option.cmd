trustee --bogus-option
