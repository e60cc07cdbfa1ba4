package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// sink receives generated rows, table by table, values in columns order.
// The SQL loader is one; tests capture rows in memory with another.
type sink interface {
	row(table string, vals ...any) error
}

// dec is a DECIMAL value, written unquoted.
type dec string

// numUsers is fixed: users are shared by all projects.
const numUsers = 60

// pcgStream fixes the second PCG word so that Seed alone picks the data.
const pcgStream = 0x6c69666562_6f6174

// base is the fixed origin of every generated timestamp: data never
// depends on the clock.
var base = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// gen walks the plan and emits rows. IDs are assigned here, not by
// AUTO_INCREMENT, so that every run produces identical tables.
type gen struct {
	r     *rand.Rand
	scale float64
	out   sink

	nextArea, nextSection, nextString, nextComment int64
}

func generate(opts Options, out sink) error {
	g := &gen{r: rand.New(rand.NewPCG(uint64(opts.Seed), pcgStream)), scale: opts.scale(), out: out}
	if err := g.users(); err != nil {
		return err
	}
	if err := g.languages(); err != nil {
		return err
	}
	for i := range projectPlans {
		if err := g.project(int64(i + 1)); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) users() error {
	for id := int64(1); id <= numUsers; id++ {
		name := firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))]
		if id == 1 {
			name = "Admin User" // the seed document's created_by_name
		}
		var rate, login any
		if g.r.IntN(10) >= 3 {
			rate = g.decimal(2500, 15000, 2)
		}
		if g.r.IntN(4) > 0 {
			login = g.when(700)
		}
		email := "user" + strconv.FormatInt(id, 10) + "@example.com"
		if err := g.out.row("users", id, email, name, b2i(id <= 3), rate, g.when(300), login); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) languages() error {
	for i, l := range languages {
		if err := g.out.row("languages", int64(i+1), l.code, l.name, l.native, b2i(l.rtl)); err != nil {
			return err
		}
	}
	return nil
}

// project emits one project and everything it contains.
func (g *gen) project(id int64) error {
	plan := projectPlans[id-1]
	n := plan.strings
	if n >= 100 { // the seed-sized project keeps its size at every scale
		n = max(1, int(math.Round(float64(n)*g.scale)))
	}
	var desc any
	if g.r.IntN(3) > 0 {
		desc = g.text(0, 6, 20)
	}
	created := g.when(200)
	if err := g.out.row("projects", id, int64(1+g.r.IntN(numUsers)), plan.name, desc,
		g.decimal(100000, 9999999, 2), created, g.when(700)); err != nil {
		return err
	}
	sections, err := g.areas(id, n)
	if err != nil {
		return err
	}
	targets := g.targetLanguages()
	for range n {
		if err := g.str(sections[g.r.IntN(len(sections))], targets); err != nil {
			return err
		}
	}
	return nil
}

// areas emits a project's areas and their (nested) sections, and returns
// the section ids.
func (g *gen) areas(projectID int64, nStrings int) ([]int64, error) {
	nAreas := min(nStrings, 3+g.r.IntN(5))
	var all []int64
	for a := range nAreas {
		g.nextArea++
		areaID := g.nextArea
		if err := g.out.row("areas", areaID, projectID, areaNames[g.r.IntN(len(areaNames))], int64(a+1)); err != nil {
			return nil, err
		}
		nSections := 2 + g.r.IntN(3+nStrings/500)
		var inArea []int64
		for s := range nSections {
			g.nextSection++
			var parent any
			if len(inArea) > 0 && g.r.IntN(10) < 4 {
				parent = inArea[g.r.IntN(len(inArea))]
			}
			if err := g.out.row("sections", g.nextSection, areaID, parent, sectionNames[g.r.IntN(len(sectionNames))], int64(s+1)); err != nil {
				return nil, err
			}
			inArea = append(inArea, g.nextSection)
		}
		all = append(all, inArea...)
	}
	return all, nil
}

// targetLanguages picks six languages other than the source (id 1), in the
// order a project adds them.
func (g *gen) targetLanguages() []int64 {
	ids := make([]int64, 0, len(languages)-1)
	for i := 2; i <= len(languages); i++ {
		ids = append(ids, int64(i))
	}
	g.r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids[:6]
}

// str emits one string, its translations (2 to 6, about 4) and sometimes
// comments.
func (g *gen) str(sectionID int64, targets []int64) error {
	g.nextString++
	id := g.nextString
	key := keyWords[g.r.IntN(len(keyWords))] + "_" + strconv.FormatInt(id, 10)
	var maxLen, shot any
	if g.r.IntN(10) >= 6 {
		maxLen = int64(20 + g.r.IntN(180))
	}
	if g.r.IntN(10) == 0 {
		shot = g.blob()
	}
	if err := g.out.row("strings", id, sectionID, key, g.text(0, 1, 8), maxLen,
		g.decimal(10, 99999, 4), shot, g.when(400), g.when(700)); err != nil {
		return err
	}
	for _, lang := range targets[:2+g.r.IntN(5)] {
		if err := g.translation(id, lang); err != nil {
			return err
		}
	}
	if g.r.IntN(100) < 8 {
		for range 1 + g.r.IntN(3) {
			g.nextComment++
			var user any = int64(1 + g.r.IntN(numUsers))
			if g.r.IntN(10) == 0 {
				user = nil
			}
			if err := g.out.row("string_comments", g.nextComment, id, user, g.text(0, 3, 15), g.when(700)); err != nil {
				return err
			}
		}
	}
	return nil
}

var statuses = []string{"draft", "review", "approved", "approved", "rejected"}

func (g *gen) translation(stringID, lang int64) error {
	status := statuses[g.r.IntN(len(statuses))]
	var translator, quality any
	if g.r.IntN(100) >= 15 {
		translator = int64(1 + g.r.IntN(numUsers))
	}
	if status != "draft" {
		quality = g.decimal(0, 10000, 2)
	}
	return g.out.row("translations", stringID, lang, g.text(int(lang-1), 1, 8), status, translator, quality, g.when(700))
}

// text joins words of language lang, now and then with an emoji or a
// fragment that tests escaping.
func (g *gen) text(lang, minWords, maxWords int) string {
	words := languages[lang].words
	n := minWords + g.r.IntN(maxWords-minWords+1)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[g.r.IntN(len(words))])
	}
	if g.r.IntN(100) < 8 {
		b.WriteByte(' ')
		b.WriteString(emoji[g.r.IntN(len(emoji))])
	}
	if g.r.IntN(100) < 5 {
		b.WriteByte(' ')
		b.WriteString(tricky[g.r.IntN(len(tricky))])
	}
	return b.String()
}

// blob is a small binary value that always holds the bytes that break
// naive escaping (NUL, quote, backslash, Ctrl-Z) and a high byte.
func (g *gen) blob() []byte {
	b := []byte{0x89, 'P', 'N', 'G', 0, '\'', '\\', 0x1a, '"', '\n'}
	for range 6 + g.r.IntN(90) {
		b = append(b, byte(g.r.IntN(256)))
	}
	return b
}

// decimal is a DECIMAL with places decimals, from lo to hi-1 in units of
// 10^-places.
func (g *gen) decimal(lo, hi int, places int) dec {
	v := lo + g.r.IntN(hi-lo)
	s := strconv.Itoa(v)
	for len(s) <= places {
		s = "0" + s
	}
	return dec(s[:len(s)-places] + "." + s[len(s)-places:])
}

// when is a timestamp within days days after base, to the second.
func (g *gen) when(days int) string {
	return base.Add(time.Duration(g.r.IntN(days*86400)) * time.Second).Format(time.DateTime)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
