use shed::Oil;
// ANCHOR: pivot
fn pivot(oil: Oil) {
    oil.drop_on("pivot");
}
// ANCHOR_END: pivot
