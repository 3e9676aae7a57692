package a

import (
	"fmt"
	"strings"
)

// ---- a map element under a dominating nil or presence check ----

type fileNode struct {
	name     string
	children map[string]*fileNode
}

type fileTree struct{ root *fileNode }

// getNode walks the path: each step checks the child before taking it, so
// the node it returns with a nil error is never nil.
func (t *fileTree) getNode(path string) (*fileNode, error) {
	node := t.root
	for _, name := range strings.Split(strings.Trim(path, "/"), "/") {
		if node.children[name] == nil {
			return nil, fmt.Errorf("path does not exist: %s", path)
		}
		node = node.children[name]
	}
	return node, nil
}

func nodeName(t *fileTree, path string) (string, error) {
	n, err := t.getNode(path)
	if err != nil {
		return "", err
	}
	return n.name, nil
}

// child checks presence with comma-ok before the lookup.
func (n *fileNode) child(name string) (*fileNode, error) {
	if _, ok := n.children[name]; !ok {
		return nil, fmt.Errorf("no child %s", name)
	}
	return n.children[name], nil
}

func childName(n *fileNode, name string) (string, error) {
	c, err := n.child(name)
	if err != nil {
		return "", err
	}
	return c.name, nil
}

// sibling checks another key than the one it returns.
func (n *fileNode) sibling(name, other string) (*fileNode, error) { // want sibling:`mayNil\[0\]`
	if n.children[name] == nil {
		return nil, fmt.Errorf("no child %s", name)
	}
	return n.children[other], nil
}

func siblingName(n *fileNode, name, other string) (string, error) {
	s, err := n.sibling(name, other)
	if err != nil {
		return "", err
	}
	return s.name, nil // want `s is used as if it were not nil`
}
