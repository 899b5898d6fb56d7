module targen

go 1.19
