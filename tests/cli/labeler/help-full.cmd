labeler --help
