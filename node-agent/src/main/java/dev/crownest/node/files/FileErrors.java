package dev.crownest.node.files;

import dev.crownest.contracts.api.ApiException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.springframework.http.HttpStatus;

/** What a failed file operation on /workspace tells its caller: the file system's reasons as API errors. */
final class FileErrors {
    private FileErrors() {}

    static RuntimeException translate(IOException e, WorkspacePath path) {
        if (e instanceof NoSuchFileException) {
            return ApiException.notFound("file_not_found", path + " does not exist");
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason()
                : String.valueOf(e.getMessage());
        if (reason.contains("Too many levels of symbolic links")) {
            // O_NOFOLLOW met a symlink swapped in after the check
            return WorkspacePath.outside(path.toString());
        }
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            return workspaceFull();
        }
        if (reason.contains("Not a directory")) {
            return ApiException.badRequest("not_a_directory", "a part of " + path + " is not a directory");
        }
        if (reason.contains("File name too long")) {
            // a whole path past PATH_MAX (each name is checked before, by WorkspacePaths)
            return ApiException.badRequest("name_too_long", path + " is longer than the file system takes");
        }
        if (reason.contains("Directory not empty")) {
            return ApiException.conflict("directory_not_empty", path + " is not empty");
        }
        return new ApiException(
                HttpStatus.INTERNAL_SERVER_ERROR.value(),
                "node",
                "file_io_failed",
                "cannot access " + path + ": " + reason);
    }

    static ApiException workspaceFull() {
        return new ApiException(
                HttpStatus.INSUFFICIENT_STORAGE.value(),
                "insufficient_storage",
                "workspace_full",
                "/workspace is full (the sandbox's disk size is reached)");
    }

    static ApiException isDirectory(WorkspacePath path) {
        return ApiException.badRequest("is_a_directory", path + " is a directory");
    }
}
