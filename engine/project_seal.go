package engine

import (
	"encoding/json"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// seal signs project manifests with this host's key and checks them
// against it and backup.trusted_keys, as for full backups.
func (e *Engine) seal() project.Seal { return hostSeal{e} }

type hostSeal struct{ e *Engine }

func (s hostSeal) Sign(m *project.Manifest) ([]byte, error) {
	return s.e.signedJSON(signableProject{m})
}

func (s hostSeal) Check(b []byte) error {
	_, err := s.e.verifySigned(b)
	return err
}

// signableProject gives a project manifest the signing code's interface;
// project keeps the signature as raw JSON so it needs no catalog types.
type signableProject struct{ *project.Manifest }

func (p signableProject) SetSignature(sig *catalog.Signature) {
	p.Signature = nil
	if sig != nil {
		p.Signature, _ = json.Marshal(sig)
	}
}
