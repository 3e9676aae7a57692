// Package chans holds channels of interface values that only this package
// can reach: the sends in view decide what a receive gives.
package chans

import "time"

type entry struct {
	elm  any
	time time.Time
}

// pool's channel is unexported and only Put sends into it, always an
// *entry, and nothing closes it.
type pool struct {
	ch chan any
}

func newPool(n int) *pool { return &pool{ch: make(chan any, n)} }

func (p *pool) Put(item any) {
	e := &entry{elm: item, time: time.Now()}
	select {
	case p.ch <- e:
	default:
	}
}

func (p *pool) Get() any {
	select {
	case item := <-p.ch:
		return item.(*entry).elm
	default:
		return nil
	}
}

func (p *pool) drain() {
	for len(p.ch) > 0 {
		_ = (<-p.ch).(*entry)
	}
}

// closing is closed by stop: a receive after it gives nil, so only the
// range (which ends at the close) is safe.
type closing struct {
	ch chan any
}

func (c *closing) add(e *entry) { c.ch <- e }

func (c *closing) stop() { close(c.ch) }

func (c *closing) next() *entry {
	return (<-c.ch).(*entry) // want `received from a channel of any`
}

func (c *closing) each(f func(*entry)) {
	for item := range c.ch {
		f(item.(*entry))
	}
}

// mixed receives two types.
type mixed struct {
	ch chan any
}

func (m *mixed) add(e *entry)  { m.ch <- e }
func (m *mixed) note(s string) { m.ch <- s }

func (m *mixed) next() *entry {
	return (<-m.ch).(*entry) // want `received from a channel of any`
}

// leaked hands its channel out: whoever holds it may send anything.
type leaked struct {
	ch chan any
}

func (l *leaked) add(e *entry)  { l.ch <- e }
func (l *leaked) C() chan<- any { return l.ch }
func (l *leaked) next() *entry  { return (<-l.ch).(*entry) } // want `received from a channel of any`

// Exported is a field other packages may send into.
type Exported struct {
	Ch chan any
}

func (x *Exported) add(e *entry) { x.Ch <- e }

func (x *Exported) next() *entry {
	return (<-x.Ch).(*entry) // want `received from a channel of any`
}

// results is a local channel every send of which is an error.
func firstError(jobs []func() error) error {
	results := make(chan any, len(jobs))
	for _, j := range jobs {
		go func() { results <- j() }()
	}
	return (<-results).(error)
}
