package tui

// projectsOffBody is the Projects tab when the config has no [projects]
// table: not an error to read, but how to turn the feature on
// (issue 13 item 8).
const projectsOffBody = `  Per-project backups are off: the config has no [projects] table.

  To turn them on, add to the config file:

    [projects]
    table = "projects"     # the table with one row per project
    id_column = "id"
    name_column = "name"

  then restart lifeboat.`
