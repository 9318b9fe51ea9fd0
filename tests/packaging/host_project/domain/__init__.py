"""The host service's own `domain` package: todo-api must install and import beside it."""
