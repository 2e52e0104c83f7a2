mode = "AllowInternetOutbound"
