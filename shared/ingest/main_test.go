package ingest

import (
	"os"
	"testing"

	"github.com/zohosync/zohosync/infra/local/emu/emutest"
)

// TestMain stops the emulators the emulator tests started, if any.
func TestMain(m *testing.M) { os.Exit(emutest.Run(m)) }
