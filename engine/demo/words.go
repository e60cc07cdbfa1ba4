package demo

// language is one row of the languages table plus the words its
// translations are built from.
type language struct {
	code, name, native string
	rtl                bool
	words              []string
}

// languages: the first is the source language of every project. The word
// lists mix accents, CJK, right-to-left scripts and typographic quotes so
// that dumps and restores meet real utf8mb4 text.
var languages = []language{
	{"en", "English", "English", false, []string{"Save", "Cancel", "Delete", "project", "file", "settings", "user", "Open", "Close", "search", "results", "invoice", "payment", "account", "profile", "upload", "download", "Welcome back", "Don't", "it's", "your", "changes", "were", "saved"}},
	{"fr", "French", "Français", false, []string{"Enregistrer", "Annuler", "Supprimer", "projet", "fichier", "paramètres", "utilisateur", "l'été", "déjà", "où", "« citation »", "ça", "reçu", "Bienvenue"}},
	{"de", "German", "Deutsch", false, []string{"Speichern", "Abbrechen", "Löschen", "Größe", "Übersicht", "Straße", "Schlüssel", "„Zitat“", "Änderungen", "gespeichert"}},
	{"es", "Spanish", "Español", false, []string{"Guardar", "Cancelar", "Eliminar", "año", "¿Qué?", "¡Hola!", "configuración", "niño", "búsqueda", "cuenta"}},
	{"nb", "Norwegian Bokmål", "Norsk bokmål", false, []string{"Lagre", "Avbryt", "Slett", "blåbær", "søk", "prosjekt", "Ærlig", "Øl", "endringer", "lagret"}},
	{"ja", "Japanese", "日本語", false, []string{"保存", "キャンセル", "削除", "プロジェクト", "ファイル", "設定", "ユーザー", "検索", "ようこそ", "変更"}},
	{"zh", "Chinese (Simplified)", "简体中文", false, []string{"保存", "取消", "删除", "项目", "文件", "设置", "用户", "搜索", "欢迎", "账户"}},
	{"ko", "Korean", "한국어", false, []string{"저장", "취소", "삭제", "프로젝트", "파일", "설정", "사용자", "검색"}},
	{"ru", "Russian", "Русский", false, []string{"Сохранить", "Отмена", "Удалить", "проект", "файл", "настройки", "пользователь", "«цитата»"}},
	{"ar", "Arabic", "العربية", true, []string{"حفظ", "إلغاء", "حذف", "مشروع", "ملف", "إعدادات", "مستخدم", "بحث"}},
	{"pl", "Polish", "Polski", false, []string{"Zapisz", "Anuluj", "Usuń", "żółć", "źdźbło", "łódź", "ustawienia", "konto"}},
	{"pt", "Portuguese", "Português", false, []string{"Salvar", "Cancelar", "Excluir", "ação", "não", "coração", "configurações", "usuário"}},
}

// emoji are 4-byte characters (and sequences) that break utf8 (3-byte)
// columns and careless escaping.
var emoji = []string{"🚀", "✅", "🎉", "👍🏽", "🇳🇴", "💾", "🔥", "👨‍👩‍👧", "😀", "🙈"}

// tricky fragments hit SQL escaping: quotes, backslashes, percent signs,
// control characters and markup.
var tricky = []string{
	`it's`, `"quoted"`, `back\slash`, `C:\Users\Public\new`, `50% off`, `%s items`, `{count} files`,
	"line one\nline two", "tab\there", `<b>bold</b> & more`, `O'Brien's \"draft\"`, `\n is not a newline`, `;--`,
}

var firstNames = []string{"Åse", "Björn", "Zoë", "José", "François", "Søren", "Małgorzata", "Ólafur", "Chloé", "Nguyễn", "Jürgen", "Siobhán", "Ingrid", "Kenji", "美咲", "Олег", "Fatima", "Liam", "Aoife", "Mateus"}
var lastNames = []string{"Hansen", "O'Brien", "Müller", "García", "Dvořák", "Kowalski", "Yamada", "李", "Ó Súilleabháin", "Lund", "Petrov", "Haddad", "Silva", "Nakamura", "Øvregård", "D'Angelo"}

// projectPlans give the twelve projects varied sizes (strings at scale 1);
// the last one mirrors the seed document's small "TestProjectStrings".
var projectPlans = []struct {
	name    string
	strings int
}{
	{"Checkout Web", 5000}, {"Android App", 4900}, {"iOS App", 4800}, {"Help Center", 4700},
	{"Marketing Site — 2025 relaunch", 4600}, {"Admin Console", 4500}, {"Billing E-mails", 4400},
	{"Onboarding Flow 🚀", 4300}, {"Partner Portal", 4200}, {"Desktop Client", 4100},
	{"Game Dialogues \"Nordlys\"", 4000}, {"TestProjectStrings", 21},
}

var areaNames = []string{"Common", "Authentication", "Dashboard", "Settings", "Billing", "Notifications", "Errors", "Onboarding", "Reports", "Help"}
var sectionNames = []string{"Buttons", "Labels", "Dialogs", "Tooltips", "Validation", "Menus", "Headings", "Placeholders", "Toasts", "Empty states", "Forms", "Tables"}
var keyWords = []string{"save", "cancel", "title", "subtitle", "confirm", "error", "hint", "label", "body", "cta", "warning", "empty"}
