package offline

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/iamscan/iamscan/policy"
)

var locationType = reflect.TypeOf(policy.Location{})

// dump renders a value field by field, leaving out what legitimately
// differs between two encodings of the same account: source positions,
// the Encoded flag and the input digests. Pointers already printed are
// named, not followed, so the user/group cycle ends.
func dump(v any) string {
	var b strings.Builder
	d := dumper{b: &b, seen: map[uintptr]int{}}
	d.value(reflect.ValueOf(v), 0)
	return b.String()
}

type dumper struct {
	b    *strings.Builder
	seen map[uintptr]int
}

func (d *dumper) value(v reflect.Value, depth int) {
	ind := strings.Repeat("  ", depth)
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		if n, ok := d.seen[v.Pointer()]; ok {
			fmt.Fprintf(d.b, "<ref %d>", n)
			return
		}
		d.seen[v.Pointer()] = len(d.seen)
		fmt.Fprintf(d.b, "&%d ", d.seen[v.Pointer()])
		d.value(v.Elem(), depth)
	case reflect.Struct:
		if v.Type() == locationType {
			d.b.WriteString("<loc>")
			return
		}
		if t, ok := v.Interface().(fmt.Stringer); ok && v.Type().PkgPath() == "time" {
			d.b.WriteString(t.String())
			return
		}
		d.b.WriteString(v.Type().Name() + "{\n")
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Name == "Encoded" || f.Name == "Inputs" {
				continue
			}
			d.b.WriteString(ind + "  " + f.Name + ": ")
			d.value(v.Field(i), depth+1)
			d.b.WriteString("\n")
		}
		d.b.WriteString(ind + "}")
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			d.b.WriteString("[]")
			return
		}
		d.b.WriteString("[\n")
		for i := 0; i < v.Len(); i++ {
			d.b.WriteString(ind + "  ")
			d.value(v.Index(i), depth+1)
			d.b.WriteString("\n")
		}
		d.b.WriteString(ind + "]")
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		d.b.WriteString("map[\n")
		for _, k := range keys {
			fmt.Fprintf(d.b, "%s  %v: ", ind, k)
			d.value(v.MapIndex(k), depth+1)
			d.b.WriteString("\n")
		}
		d.b.WriteString(ind + "]")
	case reflect.Interface:
		if v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		d.value(v.Elem(), depth)
	default:
		fmt.Fprintf(d.b, "%#v", v.Interface())
	}
}
