trustee --version > /dev/full
