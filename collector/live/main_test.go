package live

import (
	"os"
	"testing"

	"github.com/iamscan/iamscan/internal/mototest"
)

func TestMain(m *testing.M) { os.Exit(mototest.Main(m)) }
