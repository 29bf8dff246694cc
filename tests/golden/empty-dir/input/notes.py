nothing about claude here
