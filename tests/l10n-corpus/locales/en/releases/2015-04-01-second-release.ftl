title = A second release
body =
    One paragraph about { $place }.
