package offline

import "github.com/iamscan/iamscan/internal/shareddata"

// sharedData is the third-party IAM data kept beside the repository, for
// the benchmarks and fuzz seeds that can do without it.
var sharedData = shareddata.Dir()
