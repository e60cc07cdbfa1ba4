package engine

// A changed row is one update, not a delete and an insert (issue 13 item
// 10): the plan's Delete and Insert count it on both sides, because that
// is how the restore writes it; these say it the way a reader thinks of it.

// Deletes is the rows the restore removes because the backup lacks them.
func (t TablePlan) Deletes() int64 { return t.Delete - t.Changed }

// Inserts is the rows the restore adds because they are missing now.
func (t TablePlan) Inserts() int64 { return t.Insert - t.Changed }

// Updates is the rows that are there now and differ from the backup: the
// restore puts the backup's version back.
func (t TablePlan) Updates() int64 { return t.Changed }
