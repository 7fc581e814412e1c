labeler --bogus-option
