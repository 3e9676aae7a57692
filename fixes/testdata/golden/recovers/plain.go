package recovers

func runJob(job func() error) (err error) {
	defer func() {
		recover()
	}()
	return job()
}

func loop(jobs []func()) {
	for _, job := range jobs {
		func() {
			defer func() { _ = recover() }()
			job()
		}()
	}
}

func guarded(step func()) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	step()
	return true
}
