module example.com/gopsbaseline

go 1.19
