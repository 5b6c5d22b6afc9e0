package zohosim

import "slices"

// dataCenters lists the data centres of docs/ZOHO.md §6.1 by short name.
var dataCenters = []string{"us", "eu", "in", "au", "jp", "ca", "sa", "cn", "uk"}

func allDataCenters() []string { return slices.Clone(dataCenters) }

func knownDataCenter(dc string) bool { return slices.Contains(dataCenters, dc) }
