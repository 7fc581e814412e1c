forest --version > /dev/full
