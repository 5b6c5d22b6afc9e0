package report

import "strings"

// table renders a Markdown table.
type table struct {
	head []string
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// String renders the table.
func (t *table) String() string {
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + strings.ReplaceAll(c, "|", "\\|") + " |")
		}
		b.WriteString("\n")
	}
	line(t.head)
	sep := make([]string, len(t.head))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, r := range t.rows {
		line(r)
	}
	return b.String()
}

// metricTable has one row per metric and one column per scenario.
type metricTable struct {
	t        table
	sc       []Scenario
	limits   *Limits
	settings *Settings
}

func newMetricTable(first string, sc []Scenario) *metricTable {
	m := &metricTable{sc: sc}
	m.t.head = []string{first}
	for _, s := range sc {
		m.t.head = append(m.t.head, s.Name)
	}
	return m
}

// row adds a metric, formatting each scenario with f.
func (m *metricTable) row(name string, f func(*Scenario) string) {
	cells := []string{name}
	for i := range m.sc {
		cells = append(cells, f(&m.sc[i]))
	}
	m.t.add(cells...)
}

// String renders the table.
func (m *metricTable) String() string { return m.t.String() }
